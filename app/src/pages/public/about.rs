//! The public pages that explain the program, adapted from the program's own page. They are
//! plain server-rendered text and read the same with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The program's example goals, offered again as starting points on the goal sheet.
pub const EXAMPLE_GOALS: &[&str] = &[
    "Learn more about the common challenges we all face in libraries.",
    "Make new contacts and network within the profession.",
    "Work together to come up with six crafts for the Bookbag program (ages 6 to 12).",
    "Learn more about school librarianship.",
    "Discuss the qualities that make an effective manager or director.",
    "Look for opportunities to attend more conferences and trainings that are relevant to my career development.",
];

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero">
            <div class="hero-inner">
                <h1>"Mentoring for children's librarians"</h1>
                <p class="lead">
                    "Tandem pairs people who serve children in libraries for a program year. "
                    "Mentors share what they have learned in their own jobs so that mentees can avoid "
                    "pitfalls and mistakes; both build the leadership skills that serve the whole profession."
                </p>
                <p class="hero-actions">
                    <A href="/apply" attr:class="button">
                        "Apply to the program"
                    </A>
                    <A href="/working-with-a-match" attr:class="button button-secondary">
                        "How a match works"
                    </A>
                </p>
            </div>
        </section>
        <section class="page">
            <h2>"How the year works"</h2>
            <ol class="steps">
                <li>
                    <h3>"Apply"</h3>
                    <p>
                        "Tell us about your library, your experience and what you hope to get from the year, as a mentor or as a mentee."
                    </p>
                </li>
                <li>
                    <h3>"Get matched"</h3>
                    <p>
                        "A coordinator pairs each mentee with a mentor, looking at interests, library type, experience and time zone."
                    </p>
                </li>
                <li>
                    <h3>"Set goals together"</h3>
                    <p>
                        "Your goal sheet is the contract of your match: one to three goals, completed together and submitted by the mentee."
                    </p>
                </li>
                <li>
                    <h3>"Work through the year"</h3>
                    <p>
                        "Talk about twice a month by phone, email, video or chat, try suggested activities, and join the Mentoring Forum."
                    </p>
                </li>
            </ol>
            <h2>"Why mentor, why be mentored"</h2>
            <p>
                "Mentoring is a way to feel more connected to other people in the profession. "
                "A mentee gains a trusted colleague outside their own library; a mentor gains a fresh view of the work "
                "and the satisfaction of helping someone grow. Both take part in a program that is virtual from start to finish, "
                "so distance is no obstacle."
            </p>
        </section>
    }
}

#[component]
pub fn WorkingWithAMatch() -> impl IntoView {
    view! {
        <Title text="Working with a Match" />
        <article class="page prose">
            <h1>"Working with a Match"</h1>
            <p>
                "You may have questions about how the mentoring program works. Please take the time to read how "
                "you and your match will complete the program."
            </p>
            <h2>"Setting goals"</h2>
            <p>
                "The work between a mentor and mentee is greatly enhanced by setting specific goals. "
                "The goal sheet acts as a contract between the two of you. It is completed by the match and "
                "submitted by the mentee. Only one goal is required, but a match can choose to submit up to three. "
            </p>
            <p>
                <A href="/goals">"Read more about goals, with examples"</A>
            </p>
            <h2>"Communicating with your match"</h2>
            <p>
                "Matches choose how and when they communicate. The program is virtual, so most conversations happen "
                "over the phone, by email, by video call or in chat. There is no requirement to meet in person, but if you "
                "live close to each other you may choose to, and conferences sometimes offer a chance to meet."
            </p>
            <p>
                "We ask matches to be in touch about twice a month. Logging your calls and meetings in Tandem helps "
                "you keep that rhythm and helps coordinators see when a match could use a hand."
            </p>
            <h2>"The Mentoring Forum"</h2>
            <p>
                "The program offers an online forum where matches discuss ways to improve their communication and "
                "goal-setting. A live webinar comes first; a recording follows for anyone who could not attend."
            </p>
            <h2>"Program News"</h2>
            <p>
                "To keep matches informed, the program sends a monthly email with news, events and information. "
                "Each issue includes suggested activities, a discussion question and a goal section for your match."
            </p>
        </article>
    }
}

#[component]
pub fn Goals() -> impl IntoView {
    view! {
        <Title text="Goals" />
        <article class="page prose">
            <h1>"Goals"</h1>
            <p>
                "Each match writes a goal sheet early in the year. It acts as a contract between mentee and mentor: "
                "you agree on what you will work on and how you will know you got there."
            </p>
            <h2>"How the goal sheet works"</h2>
            <ul>
                <li>"Write one to three goals together. One is required; three is the most."</li>
                <li>
                    "For each goal, say why it matters, how you will know it is achieved, and a target date within the program."
                </li>
                <li>
                    "The mentee submits the sheet; the mentor confirms it; a coordinator acknowledges it."
                </li>
                <li>
                    "The sheet is due a month after your match begins. Through the year you record progress on each goal."
                </li>
            </ul>
            <h2>"Example goals"</h2>
            <ul class="example-goals">
                {EXAMPLE_GOALS.iter().map(|g| view! { <li>{*g}</li> }).collect_view()}
            </ul>
        </article>
    }
}
