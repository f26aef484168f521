import { Knex } from 'knex';

export async function findByEmail(knex: Knex, email: string) {
  return knex('users').where('email', email).first();
}

export function greet(name: string): string {
  return `hello ${name}`;
}
