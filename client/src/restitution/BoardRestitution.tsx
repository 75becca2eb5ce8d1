import { PresentationMode } from './PresentationMode.tsx'
import { SlideFollower } from './SlideFollower.tsx'

export { PresentButton } from './SlidePicker.tsx'

/**
 * What a board does for the restitution, inside tldraw but outside its UI panels (focus mode hides
 * those): the presenter's full-screen slides, and everyone else following them.
 */
export function BoardRestitution() {
  return (
    <>
      <PresentationMode />
      <SlideFollower />
    </>
  )
}
