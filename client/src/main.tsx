import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { LocaleProvider } from './i18n.tsx'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root).render(
  <LocaleProvider>
    <App />
  </LocaleProvider>,
)
