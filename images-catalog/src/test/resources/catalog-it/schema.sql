CREATE TABLE greeting (id INT PRIMARY KEY, text VARCHAR(40) NOT NULL);
INSERT INTO greeting VALUES (1, 'hello from the init script');
