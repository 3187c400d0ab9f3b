-- Fixtures for the PostgreSQL tests, run by scripts/pg.sh as the superuser in database si_fixtures.
-- Every constraint kind, every index kind, every relation kind the tree shows, and hostile names.
-- Extensions and the unreadable schema need the superuser; everything else is owned by si_test.
CREATE EXTENSION pg_trgm;
CREATE EXTENSION btree_gist;
CREATE EXTENSION postgres_fdw;
CREATE EXTENSION pg_stat_statements;
CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', dbname 'si_fixtures');
GRANT USAGE ON FOREIGN SERVER loopback TO si_test;

CREATE SCHEMA secret;
CREATE TABLE secret.hidden (id int PRIMARY KEY, note text);
REVOKE ALL ON SCHEMA secret FROM PUBLIC;

SET ROLE si_test;
CREATE SCHEMA shop;

CREATE TABLE shop.customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text COLLATE "C" NOT NULL DEFAULT 'anonymous',
  born date CHECK (born > date '1900-01-01'),
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED
);

CREATE TABLE shop.products (
  sku text PRIMARY KEY,
  title text NOT NULL,
  price numeric(10,2) NOT NULL CONSTRAINT price_positive CHECK (price > 0),
  tags text[] NOT NULL DEFAULT '{}',
  attrs jsonb NOT NULL DEFAULT '{}',
  location point,
  body tsvector,
  added timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT title_price_unique UNIQUE (title, price)
);

CREATE TABLE shop.orders (
  id serial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE ON UPDATE RESTRICT,
  placed timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped'))
);

-- One foreign key per referential action, and each deferrability.
CREATE TABLE shop.order_lines (
  order_id int NOT NULL,
  line int NOT NULL,
  sku text REFERENCES shop.products (sku) ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
  alt_sku text REFERENCES shop.products (sku) ON DELETE SET DEFAULT ON UPDATE NO ACTION DEFERRABLE INITIALLY IMMEDIATE,
  qty int NOT NULL DEFAULT 1 CHECK (qty > 0),
  PRIMARY KEY (order_id, line),
  FOREIGN KEY (order_id) REFERENCES shop.orders (id) ON DELETE RESTRICT ON UPDATE SET NULL
);

CREATE TABLE shop.bookings (
  id int PRIMARY KEY,
  room int NOT NULL,
  during tstzrange NOT NULL,
  CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
);

-- Every index kind and option.
CREATE INDEX products_title_btree ON shop.products USING btree (title DESC NULLS LAST, price ASC NULLS FIRST);
CREATE INDEX products_sku_hash ON shop.products USING hash (sku);
CREATE INDEX products_tags_gin ON shop.products USING gin (tags);
CREATE INDEX products_title_trgm ON shop.products USING gin (title gin_trgm_ops);
CREATE INDEX products_location_gist ON shop.products USING gist (location);
CREATE INDEX products_location_spgist ON shop.products USING spgist (location);
CREATE INDEX products_added_brin ON shop.products USING brin (added) WITH (pages_per_range = 32);
CREATE INDEX products_lower_title ON shop.products (lower(title));
CREATE INDEX products_cheap ON shop.products (price) WHERE price < 10;
CREATE UNIQUE INDEX customers_email_lower ON shop.customers (lower(email)) INCLUDE (name);
CREATE INDEX orders_customer ON shop.orders (customer_id);
CREATE INDEX orders_customer_dup ON shop.orders (customer_id);
CREATE INDEX products_body ON shop.products USING gin (body);

INSERT INTO shop.customers (email, name, born) VALUES ('ada@example.com', 'Ada', '1815-12-10'::date + 100 * interval '1 year'),
  ('grace@example.com', 'Grace', '1906-12-09'), ('linus@example.com', 'Linus', NULL);
INSERT INTO shop.products (sku, title, price, tags, attrs, location, body) VALUES
  ('A-1', 'Anvil', 99.5, '{heavy,iron}', '{"weight": 50}', point(1, 2), to_tsvector('a heavy anvil')),
  ('B-2', 'Bolt', 0.25, '{small}', '{}', point(3, 4), to_tsvector('a small bolt')),
  ('C-3', 'Crate', 12, '{}', '{"wood": true}', NULL, NULL);
INSERT INTO shop.orders (customer_id, status) VALUES (1, 'paid'), (2, 'new');
INSERT INTO shop.order_lines VALUES (1, 1, 'A-1', NULL, 2), (1, 2, 'B-2', NULL, 100), (2, 1, 'C-3', 'A-1', 1);
INSERT INTO shop.bookings VALUES (1, 101, tstzrange('2026-01-01', '2026-01-05')), (2, 101, tstzrange('2026-01-05', '2026-01-08'));

-- Partitioned table with its partitions, and a foreign table.
CREATE TABLE shop.events (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2025 PARTITION OF shop.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shop.events_2026 PARTITION OF shop.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO shop.events VALUES (1, '2025-06-01', 'open'), (2, '2026-02-01', 'close');
CREATE FOREIGN TABLE shop.remote_products (sku text, title text) SERVER loopback OPTIONS (schema_name 'shop', table_name 'products');

-- Views, a materialized view, a sequence.
CREATE VIEW shop.paid_orders AS SELECT o.id, c.email FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.status = 'paid';
CREATE MATERIALIZED VIEW shop.product_counts AS SELECT count(*) AS n FROM shop.products;
CREATE SEQUENCE shop.invoice_no START 1000 INCREMENT 10;

-- A trigger and row-level security.
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed := now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE OF status ON shop.orders FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION shop.touch();
CREATE TABLE shop.notes (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, body text);
ALTER TABLE shop.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON shop.notes FOR SELECT TO PUBLIC USING (owner = current_user);
CREATE POLICY insert_own ON shop.notes AS RESTRICTIVE FOR INSERT TO si_test WITH CHECK (owner = current_user);

-- A table without a primary key (pages with a cursor), hostile names, a huge jsonb cell.
CREATE TABLE shop.log_lines (at timestamptz NOT NULL DEFAULT now(), line text);
INSERT INTO shop.log_lines (line) SELECT 'line ' || g FROM generate_series(1, 1000) g;
CREATE SCHEMA "odd schema";
CREATE TABLE "odd schema".x (id int PRIMARY KEY);
CREATE TABLE "odd schema"."""; DROP TABLE x; --" (
  "it's a ""quoted"" col" int PRIMARY KEY,
  "with space" text
);
INSERT INTO "odd schema"."""; DROP TABLE x; --" VALUES (1, 'one'), (2, 'two');
CREATE TABLE shop.documents (id int PRIMARY KEY, doc jsonb NOT NULL);
INSERT INTO shop.documents SELECT 1, jsonb_agg(jsonb_build_object('i', g, 'name', repeat('x', 40))) FROM generate_series(1, 100000) g;
INSERT INTO shop.documents VALUES (2, '{"small": true}');
RESET ROLE;
