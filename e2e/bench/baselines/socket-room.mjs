// The bare baseline of the live figure: a plain Socket.IO 4 server (no adapter, no
// auth) whose clients join one room; on `go` it broadcasts `tick {seq, at}` to the
// room `count` times, `intervalMs` apart, then tells the caller `done`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { cors: { origin: false } });
io.on('connection', (socket) => {
  socket.join('room');
  socket.on('go', ({ count, intervalMs }, ack) => {
    let seq = 0;
    const timer = setInterval(() => {
      io.to('room').emit('tick', { seq: seq++, at: Date.now() });
      if (seq >= count) {
        clearInterval(timer);
        setTimeout(() => ack({ sent: seq }), 1000);
      }
    }, intervalMs);
  });
});
http.listen(0, '127.0.0.1', () => console.log(`ready ${JSON.stringify({ url: `http://127.0.0.1:${http.address().port}` })}`));
process.on('SIGTERM', () => { io.close(); process.exit(0); });
