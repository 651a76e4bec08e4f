-- Rank customers by revenue within their city (batch OVER window), joined with a dimension table.
SET 'execution.runtime-mode' = 'batch';

CREATE TABLE orders (
  order_id BIGINT, customer STRING, product STRING, amount DECIMAL(10, 2), order_time TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = 'queries/data/orders.csv', 'format' = 'csv');

CREATE TABLE customers (name STRING, city STRING, tier STRING)
WITH ('connector' = 'filesystem', 'path' = 'queries/data/customers.csv', 'format' = 'csv');

CREATE VIEW revenue AS
SELECT c.city, o.customer, SUM(o.amount) AS total
FROM orders AS o JOIN customers AS c ON o.customer = c.name
GROUP BY c.city, o.customer;

SELECT city, customer, total,
       RANK() OVER (PARTITION BY city ORDER BY total DESC) AS city_rank
FROM revenue
ORDER BY city, city_rank;
