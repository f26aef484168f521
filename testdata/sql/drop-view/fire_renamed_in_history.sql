-- Stable reads the view under the name the history renamed it to.
DROP VIEW current_users;
