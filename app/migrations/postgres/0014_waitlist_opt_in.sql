-- The waitlist of interest is double opt-in (program::waitlist): an address is listed once its
-- owner opens the link mailed to it (the link's hash waits in confirm_hash), and the "applications
-- are open" email carries a one-click unsubscribe link of its own (its hash in unsubscribe_hash;
-- left_at once used). Addresses that signed up before this were never confirmed: they are kept,
-- and listed if they sign up again and confirm.
ALTER TABLE interest_signups ADD COLUMN confirm_hash TEXT;
ALTER TABLE interest_signups ADD COLUMN confirmed_at BIGINT;
ALTER TABLE interest_signups ADD COLUMN unsubscribe_hash TEXT;
ALTER TABLE interest_signups ADD COLUMN left_at BIGINT;
