import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { captureToken } from './lib/api'
import './styles/tokens.css'
import './styles/base.css'

// Before the router reads the URL, so the token never lands in its state or the history.
captureToken()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
