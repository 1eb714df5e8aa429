-- The shop's one table; plain SQL that PostgreSQL, MariaDB and MySQL all accept.
CREATE TABLE product (
  id          BIGINT       PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  price_cents INT          NOT NULL
);
