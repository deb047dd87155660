package io.leadflow.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server on loopback that refuses some recipients with {@code 550}, as a mail server does for a
 * mailbox that no longer exists (GreenMail takes every address). It speaks what JavaMail sends over one
 * connection: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; each message it takes is kept with its
 * accepted recipients.
 */
final class RefusingSmtpServer implements AutoCloseable {

    /** A message taken: its accepted recipients and its text. */
    record Received(List<String> recipients, String text) {
    }

    private final ServerSocket socket;
    private final Set<String> refused;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RefusingSmtpServer(int port, Set<String> refusedRecipients) throws IOException {
        this.socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.refused = refusedRecipients;
        this.acceptor = new Thread(this::acceptAll, "refusing-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    List<Received> received() {
        return received;
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException e) {
                // closed, or the client went away: the next connection
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        reply(out, "220 refusing-smtp ready");
        List<String> recipients = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                reply(out, "250 refusing-smtp");
            } else if (command.startsWith("MAIL FROM:")) {
                recipients.clear();
                reply(out, "250 OK");
            } else if (command.startsWith("RCPT TO:")) {
                String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                if (refused.contains(address)) {
                    reply(out, "550 5.1.1 <" + address + ">: mailbox unavailable");
                } else {
                    recipients.add(address);
                    reply(out, "250 OK");
                }
            } else if (command.equals("DATA")) {
                reply(out, "354 End data with <CR><LF>.<CR><LF>");
                StringBuilder text = new StringBuilder();
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    text.append(line).append('\n');
                }
                received.add(new Received(List.copyOf(recipients), text.toString()));
                recipients.clear();
                reply(out, "250 OK queued");
            } else if (command.equals("RSET") || command.equals("NOOP")) {
                recipients.clear();
                reply(out, "250 OK");
            } else if (command.equals("QUIT")) {
                reply(out, "221 Bye");
                return;
            } else {
                reply(out, "502 Command not implemented");
            }
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
