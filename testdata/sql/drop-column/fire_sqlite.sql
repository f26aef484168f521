-- SQLite 3.35+ supports DROP COLUMN
ALTER TABLE "Users" DROP COLUMN "Email";
