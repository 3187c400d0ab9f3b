#!/usr/bin/env bash
# Makes a sample SQLite database for the demo workspace with the sqlite3 CLI: a small bookshop
# with several tables, indexes (composite, partial, expression, DESC/COLLATE), foreign keys with
# actions, a trigger, a view, a WITHOUT ROWID and a STRICT table, and 100,000 order lines to page.
# Usage: scripts/demo-sql.sh DIR
set -euo pipefail
DIR="${1:?usage: demo-sql.sh DIR}"
mkdir -p "$DIR"
DB="$DIR/bookshop.db"
rm -f "$DB"
/usr/bin/sqlite3 "$DB" <<'SQL'
PRAGMA foreign_keys = ON;
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE,
  country TEXT,
  born INTEGER
);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  isbn TEXT,
  price REAL NOT NULL CHECK (price >= 0),
  published TEXT,
  cover BLOB
);
CREATE INDEX books_author ON books(author_id, published DESC);
CREATE UNIQUE INDEX books_isbn ON books(isbn) WHERE isbn IS NOT NULL;
CREATE INDEX books_title_lower ON books(lower(title));
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT,
  note TEXT
) STRICT;
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
  placed_at TEXT NOT NULL DEFAULT (datetime('now')),
  total REAL NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE TABLE order_lines (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  book_id INTEGER NOT NULL REFERENCES books(id) ON UPDATE CASCADE ON DELETE RESTRICT,
  qty INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (order_id, line)
) WITHOUT ROWID;
CREATE INDEX order_lines_book ON order_lines(book_id);
CREATE TRIGGER order_lines_total AFTER INSERT ON order_lines BEGIN
  UPDATE orders SET total = total + new.qty * (SELECT price FROM books WHERE id = new.book_id) WHERE id = new.order_id;
END;
CREATE VIEW best_sellers AS
  SELECT b.title, a.name AS author, sum(l.qty) AS sold
  FROM order_lines l JOIN books b ON b.id = l.book_id JOIN authors a ON a.id = b.author_id
  GROUP BY b.id ORDER BY sold DESC;

INSERT INTO authors(name, country, born) VALUES
  ('Ada Lovelace', 'GB', 1815), ('Grace Hopper', 'US', 1906), ('Edsger Dijkstra', 'NL', 1930),
  ('Donald Knuth', 'US', 1938), ('Barbara Liskov', 'US', 1939), ('Niklaus Wirth', 'CH', 1934);
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 60)
INSERT INTO books(author_id, title, isbn, price, published, cover)
  SELECT 1 + x % 6, 'Volume ' || x, CASE WHEN x % 4 = 0 THEN NULL ELSE '978-' || (1000 + x) END,
         round(5 + x * 0.75, 2), date('1970-01-01', '+' || (x * 200) || ' days'),
         CASE WHEN x % 3 = 0 THEN randomblob(64) END
  FROM n;
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 500)
INSERT INTO customers(email, name, note)
  SELECT 'reader' || x || '@example.org', CASE WHEN x % 7 = 0 THEN NULL ELSE 'Reader ' || x END,
         CASE WHEN x % 5 = 0 THEN '' WHEN x % 11 = 0 THEN printf('%.2000c', 'x') END
  FROM n;
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 25000)
INSERT INTO orders(id, customer_id, placed_at)
  SELECT x, 1 + x % 500, datetime('2024-01-01', '+' || (x * 17) || ' minutes') FROM n;
WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 99999)
INSERT INTO order_lines(order_id, line, book_id, qty)
  SELECT 1 + x / 4, 1 + x % 4, 1 + (x * 31) % 60, 1 + x % 3 FROM n;
ANALYZE;
SQL
echo "demo-sql: $DB ($(stat -c %s "$DB") bytes; $(/usr/bin/sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE type='table'") tables, $(/usr/bin/sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE type='index'") indexes, integrity $(/usr/bin/sqlite3 "$DB" 'PRAGMA integrity_check'))"
