/**
 * The example profile of docs/policy.md lets drivers and ORMs set what only changes how a session's answers look
 * (`SET TIME ZONE`, `application_name`, JDBC's `extra_float_digits`): without it `default: deny` refused them and
 * many clients could not connect. Attack: ride that rule to change what the gateway's checks rely on — the search
 * path its table rules read names through, the role, the transaction's read-only mode, the lexer — alone, in any
 * spelling. Each is still refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../src/gateway/postgres/sql-classify.js';
import { decide, DOCS_EXAMPLE } from './statement-decisions.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('the docs example profile and the settings clients send', () => {
  it.each([
    "SET TIME ZONE 'UTC'",
    "set timezone = 'Europe/Paris'",
    "SET LOCAL TimeZone TO 'UTC'",
    'RESET timezone',
    "SET application_name = 'DBeaver 24.1'",
    'SET extra_float_digits = 3',
    'SET DateStyle = ISO, MDY',
    'set client_min_messages to warning',
    "SET client_encoding TO 'UTF8'",
    'SET standard_conforming_strings = on',
  ])('allows %s, which only changes how answers look', (sql) => {
    expect(decide(DOCS_EXAMPLE, sql).allowed).toBe(true);
  });

  it.each([
    ['SET search_path = evil, public', 'client-settings must not move unqualified names'],
    ['SET "search_path" TO evil', 'quoting'],
    ["SET timezone = 'UTC'; SET search_path = evil", 'a harmless SET in front'],
    ["select set_config('search_path', 'evil', false)", 'the function form'],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', "the session's read-only mode"],
    ['SET default_transaction_read_only = off', "the session's read-only mode"],
    ['SET TRANSACTION READ WRITE', "the transaction's read-only mode"],
    ['SET standard_conforming_strings = off', 'the lexer'],
    ["SET client_encoding = 'SJIS'", 'the lexer'],
    ['RESET ALL', 'everything at once'],
    ['SET ROLE admin', 'the role'],
    ["ALTER ROLE CURRENT_USER SET timezone = 'UTC'", 'a role default'],
    ["ALTER DATABASE test SET application_name = 'x'", 'a database default'],
  ])('refuses %s (%s)', (sql) => {
    expect(decide(DOCS_EXAMPLE, sql).allowed).toBe(false);
  });
});
