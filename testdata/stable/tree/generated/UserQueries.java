// Generated: ignored by .gitignore, must not be scanned.
class UserQueries {
    static final String Q = "SELECT email, name FROM users";
}
