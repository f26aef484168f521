-- Same column, another target: stable's owners are users, not accounts.
ALTER TABLE orders ADD CONSTRAINT orders_owner_account_fk FOREIGN KEY (owner_id) REFERENCES accounts (id) NOT VALID;
