/**
 * Exchange's generic errors about directory objects, which every guide that creates or removes objects meets: a name
 * that is taken, an identity that resolves to nothing. A guide builds its own explanations on them (what the object
 * is, what to do, where its page explains it).
 */
import { type KnownError, ownWording } from '../core/known-errors.ts';
import { quoted } from './error-texts.ts';

type Explanation = Pick<KnownError, 'id' | 'title' | 'meaning' | 'action' | 'guide'>;

/** "The object '...' already exists." (ADObjectAlreadyExistsException), explained for one kind of object. */
export function alreadyExists(explanation: Explanation): KnownError {
  return { ...explanation, ...quoted('object-already-exists'), type: 'ADObjectAlreadyExistsException' };
}

/** "The operation couldn't be performed because object '...' couldn't be found on '...'.", for one kind of object. */
export function notFound(explanation: Explanation): KnownError {
  return {
    ...explanation,
    ...ownWording(
      'generic',
      "The operation couldn't be performed because object '<name>' couldn't be found on '<server>'.",
    ),
    type: 'ManagementObjectNotFoundException',
  };
}
