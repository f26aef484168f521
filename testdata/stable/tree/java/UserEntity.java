package com.example.users;

@Entity
@Table(name = "users")
public class UserEntity {
    @Id
    private Long id;

    @Column(name = "email_address")
    private String emailAddress;

    private String displayName;
}
