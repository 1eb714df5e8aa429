INSERT INTO greeting VALUES (2, 'second script ran after the first');
