-- Listing languages (issue 17): the languages a listing is written in, as
-- a JSON list ("zh", "en"; detected from the text when the owner states
-- none), and an optional title and summary in the other language for a
-- bilingual listing. Search filters on the languages (lang=zh|en) and
-- indexes the other-language title and summary too.

-- +goose Up
ALTER TABLE outcomes ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE outcomes ADD COLUMN title_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE outcomes ADD COLUMN summary_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE scenarios ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE scenarios ADD COLUMN title_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE scenarios ADD COLUMN summary_alt TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE scenarios DROP COLUMN summary_alt;
ALTER TABLE scenarios DROP COLUMN title_alt;
ALTER TABLE scenarios DROP COLUMN languages;
ALTER TABLE outcomes DROP COLUMN summary_alt;
ALTER TABLE outcomes DROP COLUMN title_alt;
ALTER TABLE outcomes DROP COLUMN languages;
