/**
 * `create-lipsync`'s flat arguments (Sync's MCP names: videoUrl | videoAssetId | imageUrl |
 * imageAssetId | audioUrl | audioAssetId | script + voiceId, plus local paths over stdio) → a
 * create-generation body.
 */
import { ApiError, type CreateGenerationBody, type InputItem } from './types.js';

export interface FlatMediaArgs {
  videoUrl?: string;
  videoPath?: string;
  videoAssetId?: string;
  imageUrl?: string;
  imagePath?: string;
  imageAssetId?: string;
  audioUrl?: string;
  audioPath?: string;
  audioAssetId?: string;
  script?: string;
  voiceId?: string;
  ttsProvider?: string;
}

export interface FlatCreateArgs extends FlatMediaArgs {
  model?: string;
  sync_mode?: 'cut_off' | 'loop' | 'bounce' | 'silence' | 'remap';
  temperature?: number;
  outputFileName?: string;
}

const bad = (message: string): ApiError => new ApiError(400, 'generation_input_validation_failed', message);

export function bodyFromFlatArgs(a: FlatCreateArgs, allowLocalPaths: boolean): CreateGenerationBody {
  const pick = (type: InputItem['type'], url?: string, path?: string, assetId?: string): InputItem[] => {
    const given = [url, path, assetId].filter((x) => x !== undefined);
    if (given.length > 1) throw bad(`give only one of ${type}Url, ${type}Path or ${type}AssetId`);
    if (path !== undefined && !allowLocalPaths) throw bad(`${type}Path is only accepted by the local (stdio) server; upload the file with upload-media and pass ${type}AssetId`);
    if (url !== undefined) return [{ type, url }];
    if (path !== undefined) return [{ type, url: path }];
    if (assetId !== undefined) return [{ type, assetId }];
    return [];
  };
  const visual = [...pick('video', a.videoUrl, a.videoPath, a.videoAssetId), ...pick('image', a.imageUrl, a.imagePath, a.imageAssetId)];
  if (visual.length !== 1) throw bad(visual.length ? 'give a video or an image, not both' : 'give a video (videoUrl, videoPath or videoAssetId) or an image (imageUrl, imagePath or imageAssetId)');
  const audio = pick('audio', a.audioUrl, a.audioPath, a.audioAssetId);
  if (a.script !== undefined) {
    if (audio.length) throw bad('give audio or a script, not both');
    audio.push({ type: 'text', provider: { name: a.ttsProvider ?? 'espeak', voiceId: a.voiceId, script: a.script } });
  } else if (a.voiceId !== undefined || a.ttsProvider !== undefined) {
    throw bad('voiceId and ttsProvider go with a script');
  }
  if (!audio.length) throw bad('give audio (audioUrl, audioPath or audioAssetId) or a script (with voiceId) to speak');
  const options: CreateGenerationBody['options'] = {};
  if (a.sync_mode !== undefined) options.sync_mode = a.sync_mode;
  if (a.temperature !== undefined) options.temperature = a.temperature;
  return {
    ...(a.model !== undefined ? { model: a.model } : {}),
    input: [...visual, ...audio],
    options,
    ...(a.outputFileName !== undefined ? { outputFileName: a.outputFileName } : {}),
  };
}
