//! Point d'entrée de l'application (fil principal).

use leptos::mount::mount_to_body;
use panier_web::app::App;

fn main() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}
