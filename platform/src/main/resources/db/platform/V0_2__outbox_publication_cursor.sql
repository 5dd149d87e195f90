-- The outbox relay keeps one position (the highest id published) instead of marking every row published (issue 9).
-- Marking cost PostgreSQL a row lock, a non-HOT update and an index entry per event; the rows are now written once and
-- never changed. A row is published once no transaction can still commit a row with a lower id: see the relay
-- (kg.evpower.platform.event.OutboxRelay) and outbox_relay_horizon() below.

-- Writers of the service's previous version must not draw identity ids between the setval and the switch below.
LOCK TABLE outbox_event IN ACCESS EXCLUSIVE MODE;

-- Ids come from a plain sequence whose caller has a transaction id before it draws one, so "every transaction that drew
-- an id up to N had an xid lower than X" holds for the relay's samples. CACHE must stay 1: a cached block would let a
-- session draw an id below a value the relay has already sampled.
CREATE SEQUENCE outbox_event_seq CACHE 1;
SELECT setval('outbox_event_seq', COALESCE((SELECT max(id) FROM outbox_event), 0) + 1, false);

CREATE FUNCTION outbox_event_next_id() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN nextval('outbox_event_seq');
END;
$$;

ALTER TABLE outbox_event ALTER COLUMN id DROP IDENTITY;
ALTER TABLE outbox_event ALTER COLUMN id SET DEFAULT outbox_event_next_id();
ALTER SEQUENCE outbox_event_seq OWNED BY outbox_event.id;

-- One row: every outbox row with an id up to published_through has been added to its stream.
CREATE TABLE outbox_relay (
    single            BOOLEAN     PRIMARY KEY DEFAULT true CHECK (single),
    published_through BIGINT      NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO outbox_relay (published_through)
SELECT COALESCE((SELECT min(id) - 1 FROM outbox_event WHERE published_at IS NULL),
                (SELECT max(id) FROM outbox_event), 0);

-- What one relay run needs, read in this order: the position; the oldest transaction still running (which settles the
-- samples of earlier runs); the last id drawn; and, only when ids were drawn beyond both the position and the relay's
-- newest sample (newest_sample), the relay's own transaction id, drawn after that id was read (the sample this run
-- leaves for a later one).
CREATE FUNCTION outbox_relay_horizon(newest_sample BIGINT, OUT published_through BIGINT, OUT oldest_running BIGINT,
                                     OUT last_id BIGINT, OUT sampled_tx BIGINT) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    SELECT r.published_through INTO published_through FROM outbox_relay r;
    oldest_running := pg_snapshot_xmin(pg_current_snapshot())::text::bigint;
    SELECT CASE WHEN s.is_called THEN s.last_value ELSE s.last_value - 1 END INTO last_id FROM outbox_event_seq s;
    IF last_id > GREATEST(published_through, newest_sample) THEN
        sampled_tx := pg_current_xact_id()::text::bigint;
    END IF;
END;
$$;

-- Rows are no longer changed after the insert: no published flag, no entry id, no index to find unpublished rows by.
-- The random event_id is not looked up by the database (consumers deduplicate in processed_event), so it is no longer
-- indexed either: a random UUID index cost a random B-tree page per event.
DROP INDEX outbox_event_unpublished;
DROP INDEX outbox_event_published_at;
ALTER TABLE outbox_event DROP CONSTRAINT outbox_event_event_id_key;
ALTER TABLE outbox_event DROP COLUMN published_at;
ALTER TABLE outbox_event DROP COLUMN stream_entry_id;
