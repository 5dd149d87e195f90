-- meter_value and station_message become tables partitioned by month of received_at (UTC), so that retention drops
-- whole months instead of deleting rows one by one. Rows are kept: the old table is renamed, the partitioned one created
-- with the same columns, the rows copied, the old table dropped. Partitions are named <table>_pYYYY_MM and cover
-- [first of month 00:00 UTC, first of next month 00:00 UTC); <table>_default catches rows of a month without a partition
-- (PartitionMaintenance moves them out when it creates that month). PostgreSQL 15 allows no identity column on a
-- partitioned table: ids come from a sequence that continues after the old largest id, and the primary key includes the
-- partition key.
-- This migration copies every row in one transaction: on a database that already holds many rows, run it in a
-- maintenance window.

-- Partitions created here: the previous, current and next month, and every month that holds rows (at most 24 months
-- back and ahead: rows outside land in the default partition, which retention empties).
CREATE FUNCTION gateway_v2_partition_by_month(parent TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    old TEXT := parent || '_unpartitioned';
    ids TEXT := parent || '_id_seq';
    this_month DATE := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    first_month DATE;
    last_month DATE;
    m DATE;
BEGIN
    EXECUTE format('ALTER TABLE %I RENAME TO %I', parent, old);
    -- Dropping the identity drops its sequence and frees its name for the new one.
    EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP IDENTITY', old);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY RANGE (received_at)', parent, old);
    EXECUTE format('CREATE SEQUENCE %I OWNED BY %I.id', ids, parent);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L)', parent, ids);

    EXECUTE format('SELECT date_trunc(''month'', min(received_at) AT TIME ZONE ''UTC'')::date,
                           date_trunc(''month'', max(received_at) AT TIME ZONE ''UTC'')::date FROM %I', old)
        INTO first_month, last_month;
    first_month := greatest(least(coalesce(first_month, this_month), this_month - interval '1 month'),
                            this_month - interval '24 months');
    last_month := least(greatest(coalesce(last_month, this_month), this_month + interval '1 month'),
                        this_month + interval '24 months');
    m := first_month;
    WHILE m <= last_month LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                       parent || '_p' || to_char(m, 'YYYY_MM'), parent,
                       to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
                       to_char(m + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
        m := (m + interval '1 month')::date;
    END LOOP;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', parent || '_default', parent);

    -- Same columns in the same order (LIKE), so the rows copy as they are, ids included.
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', parent, old);
    EXECUTE format('SELECT setval(%L, coalesce((SELECT max(id) FROM %I), 0) + 1, false)', ids, old);
    EXECUTE format('DROP TABLE %I', old);

    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, received_at)', parent, parent || '_pkey');
    -- Retention deletes by received_at inside the boundary partition; rows arrive in received_at order, so a BRIN index
    -- finds them at almost no cost to the inserts.
    EXECUTE format('CREATE INDEX %I ON %I USING brin (received_at)', parent || '_received_at', parent);
END $$;

SELECT gateway_v2_partition_by_month('meter_value');
CREATE INDEX meter_value_transaction ON meter_value (transaction_id, sampled_at) WHERE transaction_id IS NOT NULL;
CREATE INDEX meter_value_station ON meter_value (station_id, sampled_at);

SELECT gateway_v2_partition_by_month('station_message');
CREATE INDEX station_message_station ON station_message (station_id, received_at);

DROP FUNCTION gateway_v2_partition_by_month(TEXT);

-- station_command stays one table; its retention deletes by completed_at in batches.
CREATE INDEX station_command_completed_at ON station_command (completed_at);
