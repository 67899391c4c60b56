import * as z from 'zod';
import { Code, Text } from '../../shared/survey/schema.js';

/** The impact report's answers per closed question and its channels, as the API documents them. */

const AnswerFlags = z.array(z.enum(['suppressed', 'collecting', 'unreliable', 'not-in-release'])).meta({
  description:
    'as for figures (suppressed, collecting, unreliable: n < 30, weighted: effective n < 30); not-in-release: the wave was released before answers and channels were kept, and a release is never made again',
});

export const Distributions = z
  .array(
    z.object({
      id: Code,
      type: z.enum([
        'single_choice',
        'multiple_choice',
        'likert',
        'semantic_differential',
        'rating',
        'grade',
        'yes_no',
      ]),
      label: Text,
      waves: z.array(
        z.object({
          waveId: Code,
          n: z.number().int().nullable().meta({ description: 'those who answered, "don\'t know" included' }),
          nEff: z.number().nullable().optional().meta({ description: "weighted only: Kish's effective n" }),
          flags: AnswerFlags,
          options: z.array(
            z.object({
              code: z.string().meta({ description: 'the stored answer code (scale points as digits, dk last)' }),
              label: Text,
              share: z.number().nullable().meta({
                description:
                  'share of those who answered, 0-1 (weighted with ?weighted=true); multiple choice: of respondents, so the shares may add up to more than 1',
              }),
            }),
          ),
        }),
      ),
    }),
  )
  .meta({
    description:
      'every closed question of the audience per wave, in questionnaire order: not free text, consent, free numbers or the questions that identify (city, age band, gender, role, business size, export quasi-identifiers). Hidden like indicators: per city where few answered or where it could be worked out',
  });

export const Channels = z
  .array(
    z.object({
      waveId: Code,
      flags: AnswerFlags,
      channels: z.array(
        z.object({
          channel: z.string(),
          responses: z.number().int().nullable().meta({ description: 'null where the channel gate hides it' }),
        }),
      ),
    }),
  )
  .meta({
    description:
      'responses of the audience per channel and wave (counts, never weighted), hidden as the fieldwork report hides channels; empty with a city filter',
  });
