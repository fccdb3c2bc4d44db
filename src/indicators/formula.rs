//! Indicators computed from other indicators, e.g. the digital share of
//! applications: `AANVRAGEN[kanaal=online] / AANVRAGEN * 100`.
//!
//! A formula is arithmetic (`+ - * /`, brackets, numbers) over indicator
//! codes, each optionally narrowed to one breakdown with `[name=value]`.
//! Codes may contain `-`, so a minus between two codes needs spaces
//! around it (`A - B`; `A-B` is the code "A-B"). Values are computed per
//! period when read; a period where an input is missing or a division by
//! zero occurs has no value rather than a made-up one.

use std::collections::{BTreeSet, HashMap};

/// What a formula refers to: an indicator's total, or one breakdown of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    pub code: String,
    /// `name=value`, or empty for the total.
    pub dimension_key: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Number(f64),
    Input(Reference),
    Negate(Box<Expr>),
    Binary(char, Box<Expr>, Box<Expr>),
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    expr: Expr,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Code(String),
    Selector(String, String),
    Op(char),
    Open,
    Close,
}

const MAX_LENGTH: usize = 500;

fn tokens(text: &str) -> Result<Vec<Token>, &'static str> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',')
            {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            let value = number
                .replace(',', ".")
                .parse::<f64>()
                .map_err(|_| "formula_syntax")?;
            out.push(Token::Number(value));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '-' || chars[i] == '_')
            {
                i += 1;
            }
            let code: String = chars[start..i].iter().collect();
            out.push(Token::Code(code.trim_end_matches('-').to_ascii_uppercase()));
            // A trailing `-` belongs to a subtraction written without spaces
            // after the code: `A- B`.
            let trailing = code.len() - code.trim_end_matches('-').len();
            for _ in 0..trailing {
                out.push(Token::Op('-'));
            }
            if chars.get(i) == Some(&'[') {
                let close = chars[i..]
                    .iter()
                    .position(|c| *c == ']')
                    .ok_or("formula_syntax")?;
                let inside: String = chars[i + 1..i + close].iter().collect();
                let (name, value) = inside.split_once('=').ok_or("formula_syntax")?;
                let (name, value) = (name.trim(), value.trim());
                if name.is_empty() || value.is_empty() {
                    return Err("formula_syntax");
                }
                out.push(Token::Selector(name.to_lowercase(), value.to_owned()));
                i += close + 1;
            }
        } else if "+-*/".contains(c) {
            out.push(Token::Op(c));
            i += 1;
        } else if c == '(' {
            out.push(Token::Open);
            i += 1;
        } else if c == ')' {
            out.push(Token::Close);
            i += 1;
        } else {
            return Err("formula_syntax");
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expression(&mut self) -> Result<Expr, &'static str> {
        let mut left = self.term()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.at += 1;
            let right = self.term()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, &'static str> {
        let mut left = self.factor()?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.at += 1;
            let right = self.factor()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, &'static str> {
        self.depth += 1;
        if self.depth > 50 {
            return Err("formula_syntax");
        }
        let result = match self.next() {
            Some(Token::Number(value)) => Ok(Expr::Number(value)),
            Some(Token::Code(code)) => {
                let dimension_key = match self.peek() {
                    Some(Token::Selector(name, value)) => {
                        let key = format!("{name}={value}");
                        self.at += 1;
                        key
                    }
                    _ => String::new(),
                };
                Ok(Expr::Input(Reference {
                    code,
                    dimension_key,
                }))
            }
            Some(Token::Op('-')) => Ok(Expr::Negate(Box::new(self.factor()?))),
            Some(Token::Open) => {
                let inner = self.expression()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("formula_syntax"),
                }
            }
            _ => Err("formula_syntax"),
        };
        self.depth -= 1;
        result
    }
}

impl Formula {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let text = text.trim();
        if text.is_empty() {
            return Err("required");
        }
        if text.chars().count() > MAX_LENGTH {
            return Err("too_long");
        }
        let mut parser = Parser {
            tokens: tokens(text)?,
            at: 0,
            depth: 0,
        };
        let expr = parser.expression()?;
        if parser.at != parser.tokens.len() {
            return Err("formula_syntax");
        }
        let formula = Formula { expr };
        if formula.references().is_empty() {
            return Err("formula_without_indicator");
        }
        Ok(formula)
    }

    /// Every input the formula reads, each once.
    pub fn references(&self) -> BTreeSet<Reference> {
        fn walk(expr: &Expr, out: &mut BTreeSet<Reference>) {
            match expr {
                Expr::Number(_) => {}
                Expr::Input(reference) => {
                    out.insert(reference.clone());
                }
                Expr::Negate(inner) => walk(inner, out),
                Expr::Binary(_, left, right) => {
                    walk(left, out);
                    walk(right, out);
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(&self.expr, &mut out);
        out
    }

    /// The value for one period, given its inputs; `None` when an input is
    /// missing or the arithmetic has no finite answer.
    pub fn evaluate(&self, inputs: &HashMap<&Reference, f64>) -> Option<f64> {
        fn eval(expr: &Expr, inputs: &HashMap<&Reference, f64>) -> Option<f64> {
            match expr {
                Expr::Number(value) => Some(*value),
                Expr::Input(reference) => inputs.get(reference).copied(),
                Expr::Negate(inner) => eval(inner, inputs).map(|v| -v),
                Expr::Binary(op, left, right) => {
                    let (a, b) = (eval(left, inputs)?, eval(right, inputs)?);
                    match op {
                        '+' => Some(a + b),
                        '-' => Some(a - b),
                        '*' => Some(a * b),
                        _ if b == 0.0 => None,
                        _ => Some(a / b),
                    }
                }
            }
        }
        eval(&self.expr, inputs).filter(|v| v.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(code: &str, key: &str) -> Reference {
        Reference {
            code: code.into(),
            dimension_key: key.into(),
        }
    }

    #[test]
    fn a_share_with_a_breakdown() {
        let f = Formula::parse("aanvragen[Kanaal=online] / AANVRAGEN * 100").unwrap();
        let online = reference("AANVRAGEN", "kanaal=online");
        let all = reference("AANVRAGEN", "");
        assert_eq!(
            f.references().into_iter().collect::<Vec<_>>(),
            vec![all.clone(), online.clone()]
        );
        let inputs = HashMap::from([(&online, 640.0), (&all, 1000.0)]);
        assert_eq!(f.evaluate(&inputs), Some(64.0));
        let zero = HashMap::from([(&online, 0.0), (&all, 0.0)]);
        assert_eq!(f.evaluate(&zero), None, "no division by zero");
        let missing = HashMap::from([(&all, 1000.0)]);
        assert_eq!(f.evaluate(&missing), None, "no value without its inputs");
    }

    #[test]
    fn precedence_brackets_and_codes_with_hyphens() {
        let f = Formula::parse("(KCC-A - KCC-B) * 2 + -1,5").unwrap();
        let a = reference("KCC-A", "");
        let b = reference("KCC-B", "");
        let inputs = HashMap::from([(&a, 10.0), (&b, 4.0)]);
        assert_eq!(f.evaluate(&inputs), Some(10.5));
        assert_eq!(Formula::parse("A- B").unwrap().references().len(), 2);
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(Formula::parse(""), Err("required"));
        assert_eq!(Formula::parse("1 + 2"), Err("formula_without_indicator"));
        assert_eq!(Formula::parse("A +"), Err("formula_syntax"));
        assert_eq!(Formula::parse("(A"), Err("formula_syntax"));
        assert_eq!(Formula::parse("A[kanaal]"), Err("formula_syntax"));
        assert_eq!(Formula::parse("A ; drop"), Err("formula_syntax"));
        assert_eq!(Formula::parse(&"(".repeat(60)), Err("formula_syntax"));
        assert_eq!(Formula::parse(&"A+".repeat(300)), Err("too_long"));
    }
}
