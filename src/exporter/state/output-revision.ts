/**
 * What the outputs of incremental runs hold, as part of their state key: a state written under
 * another revision is ignored (a full run, with the reason on stderr), so an export never mixes
 * files of two revisions, such as part files with and without a column. 2: every number as its
 * line wrote it, and Parquet's `extra` column.
 */
export const OUTPUT_REVISION = 2;
