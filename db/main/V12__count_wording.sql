-- How a site's comment counts read on its article lists (count.js): its own words for none, one and many ("{num}"
-- stands for the number). Null: the wording of the reader's language that Parley ships.
ALTER TABLE site ADD COLUMN count_zero text CHECK (length(count_zero) BETWEEN 1 AND 100);
ALTER TABLE site ADD COLUMN count_one  text CHECK (length(count_one) BETWEEN 1 AND 100);
ALTER TABLE site ADD COLUMN count_many text CHECK (length(count_many) BETWEEN 1 AND 100 AND count_many LIKE '%{num}%');
