DROP MATERIALIZED VIEW IF EXISTS reporting.daily_sales;
