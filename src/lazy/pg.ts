// The PostgreSQL bundle's public surface (dist/pg.js): node-postgres and the core, loaded on first use.
export * from '../core/pg';
