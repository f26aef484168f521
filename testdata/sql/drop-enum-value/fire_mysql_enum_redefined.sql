ALTER TABLE orders MODIFY status ENUM('pending', 'shipped') NOT NULL;
