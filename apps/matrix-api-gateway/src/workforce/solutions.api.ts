import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Text } from '../rest/api-fields';

/* The solution settings over REST v1 as OpenAPI: the shapes solutions.service.ts answers and takes. */

const RULES = ['usage', 'consumable', 'bin', 'feedback', 'spill', 'air-quality', 'ammonia'];

const Param = (type: 'boolean' | 'integer' | 'number', description: string, nullable = false) =>
  ApiProperty({ type, required: false, nullable, description });

@ApiSchema({
  name: 'SolutionParams',
  description:
    'a slot type’s parameters: the three common ones and those of its rules (docs/solutions.md); the defaults are those of the Matrix documentation, §3.5. A value out of range is refused with a 400 naming the range',
})
export class SolutionParamsDto {
  @Param('boolean', 'whether the slot type’s rules raise incidents in the building (default true)')
  enabled?: boolean;
  @Param('integer', 'seconds without another incident from a device after one (default 900)')
  deviceBlockSeconds?: number;
  @Param('integer', 'seconds without another incident of the slot type in a zone after one (default 900)')
  zoneBlockSeconds?: number;
  @Param('integer', 'usage (PPLCTR, UM): visits that raise an incident (default 30)')
  peopleThreshold?: number;
  @Param('number', 'consumable (TR, PT, SS): fill level % below which an incident is raised (default 5)')
  minFillPercent?: number;
  @Param('number', 'bin (BIN): empty space % below which an incident is raised (default 10)')
  minEmptyPercent?: number;
  @Param('integer', 'feedback (FD): times one bad-feedback reason is given to raise an incident (default 1)')
  feedbackMaxCount?: number;
  @Param('number', 'spill (WD): the least wet area % that raises an incident; 0 = any spill (default 0)')
  spillMinAreaPercent?: number;
  @Param('integer', 'air quality (ODRDTR*): anomalies within the window that raise an incident (default 1)')
  aqMaxAnomalies?: number;
  @Param('integer', 'air quality: the anomaly window in seconds (default 600)')
  aqWindowSeconds?: number;
  @Param('number', 'air quality: the z-score over which a reading is an anomaly (default 1.96)')
  aqZScore?: number;
  @Param(
    'number',
    'ammonia (ODRDTR, ODRDTR_BATT_V1): ppm over which an incident is raised; null = off (default)',
    true,
  )
  ammoniaThresholdPpm?: number | null;
}

@ApiSchema({
  name: 'Solution',
  description: 'the settings of the solutions watching one slot type in the building',
})
export class SolutionDto {
  @Text({ description: 'the slot type without its provider, e.g. PPLCTR' }) slotType!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: RULES },
    description: 'the rules that watch it',
  })
  rules!: string[];
  @ApiProperty({
    type: SolutionParamsDto,
    description: 'every parameter of the slot type (and only those), the building’s values over the defaults',
  })
  params!: SolutionParamsDto;
  @ApiProperty({
    type: [String],
    description: 'the parameters the building set to a value other than the default, by name',
  })
  customised!: string[];
}

@ApiSchema({ name: 'SolutionList' })
export class SolutionListDto {
  @ApiProperty({ type: [SolutionDto] }) items!: SolutionDto[];
}
