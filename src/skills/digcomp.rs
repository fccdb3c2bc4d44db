//! The built-in DigComp 2.2 framework: 5 areas, 21 competences, 8
//! proficiency levels. The English structure is the Commission's (CC BY
//! 4.0, see NOTICE), read from `data/digcomp/` at compile time; the Dutch
//! names are our own translation and the product says so.

use crate::domain::Locale;

/// The `builtin` code of the framework in the store.
pub const CODE: &str = "digcomp_2_2";
pub const NAME: &str = "DigComp 2.2";
const STRUCTURE: &str = include_str!("../../data/digcomp/digcomp-2.2.csv");

/// One competence of the framework.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinCompetence {
    pub code: String,
    pub area: String,
    pub name: String,
}

/// Our Dutch names of the five areas, by area number.
const AREAS_NL: [&str; 5] = [
    "Informatie- en datageletterdheid",
    "Communicatie en samenwerking",
    "Digitale content maken",
    "Veiligheid",
    "Problemen oplossen",
];

/// Our Dutch names of the competences, by code.
const COMPETENCES_NL: [(&str, &str); 21] = [
    (
        "1.1",
        "Data, informatie en digitale content zoeken en filteren",
    ),
    ("1.2", "Data, informatie en digitale content beoordelen"),
    ("1.3", "Data, informatie en digitale content beheren"),
    ("2.1", "Met digitale technologie met anderen omgaan"),
    ("2.2", "Via digitale technologie delen"),
    ("2.3", "Via digitale technologie meedoen in de samenleving"),
    ("2.4", "Via digitale technologie samenwerken"),
    ("2.5", "Online omgangsvormen (netiquette)"),
    ("2.6", "De eigen digitale identiteit beheren"),
    ("3.1", "Digitale content ontwikkelen"),
    ("3.2", "Digitale content bewerken en opnieuw gebruiken"),
    ("3.3", "Auteursrecht en licenties"),
    ("3.4", "Programmeren"),
    ("4.1", "Apparaten beschermen"),
    ("4.2", "Persoonsgegevens en privacy beschermen"),
    ("4.3", "Gezondheid en welzijn beschermen"),
    ("4.4", "Het milieu beschermen"),
    ("5.1", "Technische problemen oplossen"),
    ("5.2", "Behoeften en passende technologie herkennen"),
    ("5.3", "Digitale technologie creatief gebruiken"),
    ("5.4", "Eigen digitale tekorten herkennen"),
];

/// The eight proficiency levels as (band, level within the band), so that
/// each language can name them.
pub const LEVEL_BANDS: [&str; 8] = [
    "foundation",
    "foundation",
    "intermediate",
    "intermediate",
    "advanced",
    "advanced",
    "highly_specialised",
    "highly_specialised",
];

/// The eight level names in the reader's language, e.g. "Basis 1".
pub fn level_names(locale: Locale) -> Vec<String> {
    LEVEL_BANDS
        .iter()
        .enumerate()
        .map(|(i, band)| {
            let band = match (locale, *band) {
                (Locale::Nl, "foundation") => "Basis",
                (Locale::Nl, "intermediate") => "Gemiddeld",
                (Locale::Nl, "advanced") => "Gevorderd",
                (Locale::Nl, _) => "Hooggespecialiseerd",
                (Locale::En, "foundation") => "Foundation",
                (Locale::En, "intermediate") => "Intermediate",
                (Locale::En, "advanced") => "Advanced",
                (Locale::En, _) => "Highly specialised",
            };
            format!("{band} {}", i + 1)
        })
        .collect()
}

/// The framework's competences in their order, parsed from the shipped CSV.
pub fn competences() -> Vec<BuiltinCompetence> {
    STRUCTURE
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let fields = split_csv_line(line);
            match fields.as_slice() {
                [_, area, code, name] => Some(BuiltinCompetence {
                    code: code.clone(),
                    area: area.clone(),
                    name: name.clone(),
                }),
                _ => None,
            }
        })
        .collect()
}

/// Splits one line of the shipped file: commas, with double quotes around
/// fields that hold one.
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The name of a built-in competence in the reader's language.
pub fn competence_name(code: &str, english: &str, locale: Locale) -> String {
    match locale {
        Locale::Nl => COMPETENCES_NL
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(english, |(_, nl)| nl)
            .to_owned(),
        Locale::En => english.to_owned(),
    }
}

/// The name of a built-in area in the reader's language.
pub fn area_name(code: &str, english: &str, locale: Locale) -> String {
    let area = code
        .split('.')
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| AREAS_NL.get(i));
    match (locale, area) {
        (Locale::Nl, Some(nl)) => (*nl).to_owned(),
        _ => english.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_structure_has_five_areas_and_twenty_one_competences() {
        let all = competences();
        assert_eq!(all.len(), 21);
        let mut areas: Vec<&str> = all.iter().map(|c| c.area.as_str()).collect();
        areas.dedup();
        assert_eq!(areas.len(), 5);
        assert_eq!(all[0].code, "1.1");
        assert_eq!(
            all[0].name,
            "Browsing, searching and filtering data, information and digital content"
        );
        assert_eq!(all[20].code, "5.4");
        // Every competence has our Dutch name.
        for c in &all {
            assert!(
                COMPETENCES_NL.iter().any(|(code, _)| *code == c.code),
                "{}",
                c.code
            );
        }
    }

    #[test]
    fn names_follow_the_reader() {
        assert_eq!(
            competence_name("3.4", "Programming", Locale::Nl),
            "Programmeren"
        );
        assert_eq!(
            competence_name("3.4", "Programming", Locale::En),
            "Programming"
        );
        assert_eq!(area_name("4.2", "Safety", Locale::Nl), "Veiligheid");
        assert_eq!(area_name("x", "Own area", Locale::Nl), "Own area");
    }
}
