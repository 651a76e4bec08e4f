-- Freshet quickstart: Flink SQL over a CSV file, no services needed.
-- Run from the repository root:  freshet -f queries/quickstart.sql
SET 'execution.runtime-mode' = 'batch';

CREATE TABLE orders (
  order_id   BIGINT,
  customer   STRING,
  product    STRING,
  amount     DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'queries/data/orders.csv',
  'format' = 'csv'
);

DESCRIBE orders;

-- Revenue per customer, biggest first.
SELECT customer, COUNT(*) AS orders, SUM(amount) AS revenue
FROM orders
GROUP BY customer
ORDER BY revenue DESC;

-- Orders per day and product, with the day's share of each product.
SELECT CAST(order_time AS DATE) AS order_day, product, COUNT(*) AS n
FROM orders
GROUP BY CAST(order_time AS DATE), product
ORDER BY order_day, product;

-- Large orders go to the print sink (Flink's +I[...] lines).
CREATE TABLE large_orders (
  order_id BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2)
) WITH ('connector' = 'print');

SET 'table.dml-sync' = 'true';
INSERT INTO large_orders SELECT order_id, customer, amount FROM orders WHERE amount >= 500;
