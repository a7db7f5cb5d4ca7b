-- The dashboard lists the matches needing attention, longest first: active matches whose first
-- flag's moment has come, in the order it came. This index reads them in that order and stops
-- after the few it shows, at any number of matches.
CREATE INDEX matches_attention_idx ON matches (state, flagged_from);
