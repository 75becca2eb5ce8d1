// Opens a board's sync socket while the app's scripts are still downloading and compiling, so that
// the board is already here when the app starts (BoardConnection adopts this socket: earlySocket.ts).
//
// A classic script, loaded before the app's bundle (the build emits it as a hashed asset and puts its
// tag at the top of index.html: vite.config.ts). Self-contained on purpose: it cannot import the app's
// modules, so the URL below repeats what BoardConnection asks for (protocol version 1, packed
// answers). Should the two drift apart, BoardConnection sees a different URL, closes this socket and
// opens its own; test/integration/earlySocket.test.ts checks that they agree.
;(() => {
  const match = /^\/b\/([A-Za-z0-9_-]{8,64})\/?$/.exec(location.pathname)
  if (!match || typeof WebSocket !== 'function') return
  const token = new URLSearchParams(location.hash.slice(1)).get('token')
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const url = `${scheme}//${location.host}/sync/${match[1]}?v=1&pack=columns-updates${token ? `&token=${encodeURIComponent(token)}` : ''}`
  const socket = new WebSocket(url)
  socket.binaryType = 'arraybuffer'
  // What the socket saw before the app took it: delivered to the app, in order, when it does.
  const early = { url, socket, events: [], deliver: null, sentSyncStep1: false }
  const record = (event) => {
    if (early.deliver) early.deliver(event)
    else early.events.push(event)
  }
  socket.addEventListener('open', (event) => {
    // Sync step 1 of an empty document (message sync 0, step 1 0, a state vector of no clients): the
    // server answers with the whole board. The app's own step 1 is the same bytes when it has no
    // local copy yet, and is then not sent again.
    if (!early.deliver) {
      socket.send(new Uint8Array([0, 0, 1, 0]))
      early.sentSyncStep1 = true
    }
    record(event)
  })
  socket.addEventListener('message', record)
  socket.addEventListener('error', record)
  socket.addEventListener('close', record)
  window.__fabriqueEarlySocket = early
  // A page that never takes it (the app failed to load, or the board id is refused) lets it go.
  setTimeout(() => {
    if (!early.deliver && window.__fabriqueEarlySocket === early) {
      window.__fabriqueEarlySocket = undefined
      socket.close(1000)
    }
  }, 15000)
})()
