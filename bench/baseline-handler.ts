import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

/**
 * The bundle-size baseline (bench/bundles.ts): what any Hono + DynamoDB Lambda needs at the least, one
 * route reading one item. Never deployed; deliberately without config schema, logging or validation.
 */
const client = new DynamoDBClient({});
const app = new Hono();

app.get('/items/:id', async (c) => {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: c.req.param('id') } } }),
  );
  return Item ? c.json(Item) : c.notFound();
});

export const handler = handle(app);
