export * from './errors/app.exception';
export * from './errors/error.catalog';
export * from './errors/problem-details.types';
export * from './lifecycle/after-listening.hook';
