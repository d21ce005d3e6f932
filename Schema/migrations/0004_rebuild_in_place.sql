-- A rebuild now replaces the rows of `tallies` in one transaction, writing the new documents straight
-- into it with COPY: readers keep seeing the old rows until the commit (MVCC), and the documents are
-- written once instead of twice. The scratch table is no longer used.
DROP TABLE tallies_rebuild;
