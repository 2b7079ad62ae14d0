import { useRef, useState } from 'react'
import type { StrategyDetail } from '../../../../contract'
import { ConfirmPrompt } from '../../components/ConfirmPrompt'
import { ErrorNotice } from '../../components/ErrorNotice'
import type { ApiError } from '../../lib/api'
import { useStrategiesStore } from '../../stores/strategies'

/** Archive (after asking in place) or, once archived, reactivate. */
export function ArchiveControl({ detail }: { detail: StrategyDetail }) {
  const archive = useStrategiesStore((state) => state.archive)
  const update = useStrategiesStore((state) => state.update)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const archiveButton = useRef<HTMLButtonElement>(null)

  async function run(action: () => Promise<unknown>) {
    setBusy(true)
    setFailure(null)
    try {
      await action()
      setConfirming(false)
    } catch (error) {
      setFailure(error as ApiError)
    } finally {
      setBusy(false)
    }
  }

  if (detail.status === 'archived') {
    return (
      <div className="strategy-archive">
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() => void run(() => update({ status: 'active' }))}
        >
          Reactivate
        </button>
        {failure && <ErrorNotice error={failure} />}
      </div>
    )
  }
  return (
    <div className="strategy-archive">
      {confirming ? (
        <ConfirmPrompt
          className="strategy-confirm"
          label={`Archive ${detail.name}?`}
          confirmText="Archive strategy"
          busyText="Archiving…"
          busy={busy}
          onConfirm={() => void run(archive)}
          onCancel={() => {
            setConfirming(false)
            archiveButton.current?.focus()
          }}
        >
          Archive? Its trades, versions and backtests are kept.
        </ConfirmPrompt>
      ) : (
        <button
          ref={archiveButton}
          type="button"
          className="button button-small"
          onClick={() => setConfirming(true)}
        >
          Archive…
        </button>
      )}
      {failure && <ErrorNotice error={failure} />}
    </div>
  )
}
