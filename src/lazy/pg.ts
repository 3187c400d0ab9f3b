// The pg bundle's public surface (dist/pg.js): node-postgres and the PostgreSQL core stay out of the main bundle.
export * from '../core/pg';
