# Mentions id and name, and even the word users, but never the users table.
def report(rows):
    users = [r for r in rows if r.active]
    for row in users:
        print(row.id, row.name, row.email)
    return len(users)
