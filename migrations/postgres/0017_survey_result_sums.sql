-- Score sums per wave, unit (the respondent's own unit, 0 for none) and
-- dimension, kept up to date as answers come in, so that results read a
-- few hundred rows instead of every answer.
CREATE TABLE survey_result_sums (
    organisation_id  BIGINT NOT NULL REFERENCES organisations(id),
    wave_id          BIGINT NOT NULL REFERENCES survey_waves(id),
    unit_id          BIGINT NOT NULL,
    dimension        TEXT NOT NULL,
    respondents      BIGINT NOT NULL,
    score_sum        BIGINT NOT NULL,
    scores           BIGINT NOT NULL,
    PRIMARY KEY (wave_id, unit_id, dimension)
);

INSERT INTO survey_result_sums (organisation_id, wave_id, unit_id, dimension, respondents, score_sum, scores)
SELECT r.organisation_id, r.wave_id, r.unit_id, i.dimension, COUNT(DISTINCT r.id), SUM(a.score), COUNT(a.score)
FROM survey_answers a
JOIN survey_responses r ON r.id = a.response_id
JOIN survey_items i ON i.id = a.item_id
WHERE a.score IS NOT NULL
GROUP BY r.organisation_id, r.wave_id, r.unit_id, i.dimension;

-- Open answers and comments are read per item, and only they.
CREATE INDEX survey_answers_with_text ON survey_answers (item_id) WHERE answer_text IS NOT NULL;
