"""A real SMTP server for the tests (Debian's python3-aiosmtpd): writes each message it accepts to FOLDER as a .eml file.
Usage: smtp_sink.py PORT FOLDER [USER PASSWORD]   (with USER and PASSWORD, AUTH is required and checked)
Prints "ready" once it listens; stops when its standard input closes."""
import os, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, folder = int(sys.argv[1]), sys.argv[2]
credentials = (sys.argv[3].encode(), sys.argv[4].encode()) if len(sys.argv) > 4 else None

class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        if credentials and not session.authenticated:
            return "530 Authentication required"
        Sink.count += 1
        name = os.path.join(folder, "%d-%05d.eml" % (time.time_ns(), Sink.count))
        with open(name + ".part", "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ", ".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".part", name)  # whole files only: the test reads the folder right after the send returns
        return "250 OK"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == credentials
    return AuthResult(success=ok, handled=False)

kwargs = dict(authenticator=authenticator, auth_require_tls=False, auth_required=True) if credentials else {}
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
