//! The background workers start and stop in one place (`app::backend::jobs`).

use crate::common::{TestServer, each_engine};
use app::backend::jobs::Workers;
use app::backend::mail::outbox::Mailer;
use std::time::Duration;

#[tokio::test]
async fn workers_stop_when_asked_instead_of_waiting_out_their_grace() {
    each_engine(|s: TestServer| async move {
        let mailer = Mailer::from_config(&s.state.config).unwrap();
        let workers = Workers::start(&s.state, mailer);
        // Let each worker finish its first pass and go to sleep (the chat email worker sleeps a
        // minute, the others seconds), so the stop has to cut a sleep short.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let grace = Duration::from_secs(60);
        tokio::time::timeout(Duration::from_secs(5), workers.stop(grace))
            .await
            .expect("the workers stop within seconds of being asked, well before their grace");
        s
    })
    .await;
}
