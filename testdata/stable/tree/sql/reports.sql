-- Monthly sign-ups.
SELECT date_trunc('month', created_at) AS month, count(*)
FROM users
GROUP BY 1;

-- Orders per customer, by the customer's e-mail.



SELECT c.email, count(*) FROM customers c GROUP BY c.email;
