import type { z } from 'zod';
import type { llmSchema } from '../../config/schema.js';

/** The checked `llm` config section. */
export type LlmConfig = z.output<typeof llmSchema>;
