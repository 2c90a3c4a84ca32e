// The bare baseline of the status figure: NestJS 11 on fastify with one hello route and
// nothing else (no guard, no database), in plain JS with Nest's decorators as functions.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

class HelloController {
  hello() {
    return { hello: 'world' };
  }
}
Controller()(HelloController);
Get('hello')(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));

class HelloModule {}
Module({ controllers: [HelloController] })(HelloModule);

const app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
console.log(`ready ${JSON.stringify({ url: `http://127.0.0.1:${port}/hello` })}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
