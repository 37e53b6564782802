/** Shared by both engines' patient word search (db/sqliteEngine.ts, db/postgresEngine.ts). */

/**
 * Above this many matches a patient search walks the name index in order and stops at the page's end;
 * below it, it fetches the matches and sorts them (SQLite and PostgreSQL alike). Sorting costs about 3 µs a match ("ma" at 100k patients:
 * 6 800 matches, 22 ms; walking, 2 ms); walking costs about 0.1 µs a patient passed, and a walk for a name late
 * in the alphabet passes nearly all of them ("west": 600 matches, all under W, 9 ms; sorted, 2 ms). Below
 * 2 500 matches sorting never costs more than the longest walk; above it, a word is so common that its
 * matches are spread through the alphabet (first names too) and the walk stops early.
 */
export const DENSE_MATCHES = 2500
