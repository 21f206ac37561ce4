-- A region the demo (or `planwatch synth`) generated, with a borrowed indicator system and
-- demonstration values: pages mark it 演示地区 wherever it appears. Importing a real plan
-- for the region clears the mark.
ALTER TABLE regions ADD COLUMN generated BOOLEAN NOT NULL DEFAULT FALSE;
