-- +goose Up
ALTER TABLE orders VALIDATE CONSTRAINT amount_positive;
