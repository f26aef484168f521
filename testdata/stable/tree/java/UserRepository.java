package com.example.users;

import java.sql.ResultSet;

public class UserRepository {
    private static final String FIND_BY_ID =
        "SELECT id, name, email " +
        "FROM users " +
        "WHERE id = ?";

    private static final String RENAME = """
        UPDATE "users"
           SET name = ?
         WHERE id = ?
        """;

    User map(ResultSet rs) throws Exception {
        return new User(rs.getLong("id"), rs.getString("name"), rs.getString("email"));
    }

    // Unrelated: the name of the thing and its id.
    String label(Thing thing) {
        return thing.name + "#" + thing.id;
    }
}
