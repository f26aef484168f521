ALTER TABLE `orders`
  CHANGE COLUMN `total` `total_cents` BIGINT NOT NULL DEFAULT 0;
