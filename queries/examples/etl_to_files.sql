-- A small batch ETL: clean and enrich orders, write them as JSON partitioned by day, read them back.
SET 'execution.runtime-mode' = 'batch';
SET 'table.dml-sync' = 'true';

CREATE TABLE orders (
  order_id BIGINT, customer STRING, product STRING, amount DECIMAL(10, 2), order_time TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = 'queries/data/orders.csv', 'format' = 'csv');

CREATE TEMPORARY TABLE orders_by_day (
  order_id BIGINT, customer STRING, product STRING, amount DECIMAL(10, 2), big BOOLEAN, dt STRING
) PARTITIONED BY (dt) WITH (
  'connector' = 'filesystem', 'path' = '/tmp/freshet-example-orders-by-day', 'format' = 'json'
);

INSERT OVERWRITE orders_by_day
SELECT order_id, UPPER(customer), product, amount, amount > 500, DATE_FORMAT(order_time, 'yyyy-MM-dd')
FROM orders;

SELECT dt, COUNT(*) AS orders, SUM(amount) AS revenue, COUNT(*) FILTER (WHERE big) AS big_orders
FROM orders_by_day GROUP BY dt ORDER BY dt;
