-- Synthetic data with the datagen connector: sequence ids and random values, summarised in batch.
SET 'execution.runtime-mode' = 'batch';

CREATE TABLE clicks (
  id BIGINT,
  user_id INT,
  latency_ms INT
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '1000',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000',
  'fields.user_id.min' = '1', 'fields.user_id.max' = '5',
  'fields.latency_ms.min' = '10', 'fields.latency_ms.max' = '500'
);

SELECT COUNT(*) AS clicks, COUNT(DISTINCT user_id) <= 5 AS at_most_five_users,
       MIN(latency_ms) >= 10 AS min_ok, MAX(latency_ms) <= 500 AS max_ok
FROM clicks;
